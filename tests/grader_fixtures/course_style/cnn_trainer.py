import torch
import torch.nn as nn
import torch.optim as optim
from tqdm import tqdm


class Trainer:
    def __init__(
        self,
        model,
        trainset,
        testset,
        num_epochs=5,
        batch_size=16,
        init_lr=1e-3,
        device="cpu",
    ):
        self.model = model.to(device)
        self.trainset = trainset
        self.testset = testset
        self.num_epochs = num_epochs
        self.batch_size = batch_size
        self.init_lr = init_lr
        self.device = device

        self.train_loss_per_epoch = []
        self.train_accuracy_per_epoch = []
        self.test_loss_per_epoch = []
        self.test_accuracy_per_epoch = []

    def tune(self):
        """
        Set the hyperparameters and train the model.
        """
        self.num_epochs = 6
        self.batch_size = 32
        self.init_lr = 0.003
        self.train()

    def train(self):
        self.trainloader = torch.utils.data.DataLoader(
            self.trainset, batch_size=self.batch_size, shuffle=True
        )
        self.testloader = torch.utils.data.DataLoader(
            self.testset, batch_size=self.batch_size, shuffle=False
        )
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = optim.Adamax(self.model.parameters(), lr=self.init_lr)
        self.scheduler = optim.lr_scheduler.ExponentialLR(self.optimizer, gamma=0.9)

        for epoch in tqdm(range(self.num_epochs)):
            self.model.train()
            total, correct, running_loss = self.run_epoch(
                0, 0, 0.0, self.trainloader, train=True
            )
            self.train_loss_per_epoch.append(running_loss / len(self.trainloader))
            self.train_accuracy_per_epoch.append(correct / total)

            self.model.eval()
            with torch.no_grad():
                total, correct, running_loss = self.run_epoch(
                    0, 0, 0.0, self.testloader, train=False
                )
            self.test_loss_per_epoch.append(running_loss / len(self.testloader))
            self.test_accuracy_per_epoch.append(correct / total)

            self.scheduler.step()
            print(
                f"Epoch {epoch + 1}: Validation Loss: {self.test_loss_per_epoch[-1]:.2f}, "
                f"Validation Accuracy: {self.test_accuracy_per_epoch[-1]:.3f}"
            )

    def run_epoch(self, total, correct, running_loss, data_iterator, train=True):
        """
        Go over the batches of data_iterator once.

        Args:
            total: number of images seen so far
            correct: number of images predicted correctly so far
            running_loss: sum of the batch losses so far
            data_iterator: the data loader to go over
            train: whether to update the weights
        Return:
            total, correct, running_loss after this pass
        """
        for inputs, labels in data_iterator:
            inputs = inputs.to(self.device)
            labels = labels.to(self.device)
            outputs = self.model(inputs)
            loss = self.criterion(outputs, labels)
            if train:
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
            running_loss += loss.item()
            _, predicted = torch.max(outputs, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
        return total, correct, running_loss

    def get_training_history(self):
        return (
            self.train_loss_per_epoch,
            self.train_accuracy_per_epoch,
            self.test_loss_per_epoch,
            self.test_accuracy_per_epoch,
        )

    def predict(self, testloader):
        self.model.eval()
        all_probs = []
        all_preds = []
        all_labels = []
        with torch.no_grad():
            for inputs, labels in testloader:
                inputs = inputs.to(self.device)
                outputs = self.model(inputs)
                probs = torch.softmax(outputs, dim=1)
                all_probs.append(probs.cpu())
                all_preds.append(torch.argmax(probs, dim=1).cpu())
                all_labels.append(labels)
        return torch.cat(all_probs), torch.cat(all_preds), torch.cat(all_labels)
